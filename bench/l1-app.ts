// The baseline: an app of plain L1 constructs (CfnResource, CfnParameter, CfnOutput) declaring the same
// resources, parameters and outputs as lattice-share's stacks. Input: a JSON file of templates by stack name.
import { readFileSync } from 'node:fs';
import { App, CfnOutput, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';

type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;
  Parameters?: Record<string, { Type: string }>;
  Outputs?: Record<string, { Value: unknown }>;
};
const [input, outdir] = process.argv.slice(2);
const templates: Record<string, { env: { account: string; region: string }; template: Template }> = JSON.parse(
  readFileSync(input!, 'utf8'),
);
const app = new App({ outdir });
for (const [name, { env, template }] of Object.entries(templates)) {
  const stack = new Stack(app, name, { env });
  for (const [id, p] of Object.entries(template.Parameters ?? {}))
    if (id !== 'BootstrapVersion') new CfnParameter(stack, id, { type: p.Type });
  for (const [id, r] of Object.entries(template.Resources)) {
    const res = new CfnResource(stack, id, { type: r.Type, properties: r.Properties });
    res.overrideLogicalId(id);
    if (r.DependsOn) res.addOverride('DependsOn', r.DependsOn);
  }
  for (const [id, o] of Object.entries(template.Outputs ?? {})) new CfnOutput(stack, id, { value: o.Value as string });
}
app.synth();
