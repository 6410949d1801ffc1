// DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no browser, no binary, no network. Loaded only when
// an SVG is asked for.
export async function svgOf(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}
