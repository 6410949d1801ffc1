// DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no browser, no binary, no network. Loaded only when
// an SVG is asked for, once per process.
let viz: Promise<{ renderString(dot: string, options: { format: 'svg'; engine: 'dot' }): string }> | undefined;

export async function svgOf(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then(({ instance }) => instance());
  return (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
}
