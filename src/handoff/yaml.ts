// A template as YAML with CloudFormation's short forms (!Ref, !GetAtt, !Sub, !If …), as people write it; inline code
// as a literal block. Read back by any CloudFormation YAML reader (and by lattice-share's own) as the same template.
import { Document, isMap, isSeq, YAMLMap, YAMLSeq, type Node, type Scalar } from 'yaml';

/** Widest an intrinsic's arguments stay on one line (`!If [Cond, a, b]`). */
const FLOW_WIDTH = 80;

const isIntrinsic = (value: unknown): value is Record<string, unknown> => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const [key = ''] = keys;
  return keys.length === 1 && (key === 'Ref' || key.startsWith('Fn::'));
};

function nodeOf(doc: Document, value: unknown): Node {
  if (isIntrinsic(value)) return intrinsicNode(doc, value);
  if (Array.isArray(value)) {
    const seq = new YAMLSeq<Node>();
    for (const item of value) seq.add(nodeOf(doc, item));
    return seq;
  }
  if (value && typeof value === 'object') {
    const map = new YAMLMap<string, Node>();
    for (const [key, item] of Object.entries(value)) map.add({ key, value: nodeOf(doc, item) });
    return map;
  }
  const scalar = doc.createNode(value) as Scalar;
  // A YAML 1.1 reader takes 2010-09-09 for a date: quoted, it is the string CloudFormation expects.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) scalar.type = 'QUOTE_SINGLE';
  return scalar;
}

function intrinsicNode(doc: Document, value: Record<string, unknown>): Node {
  const [[name, argument] = ['', undefined]] = Object.entries(value);
  const node =
    name === 'Fn::GetAtt' && Array.isArray(argument)
      ? (doc.createNode(argument.join('.')) as Node)
      : nodeOf(doc, argument);
  node.tag = name === 'Ref' ? '!Ref' : `!${name.slice('Fn::'.length)}`;
  const short = JSON.stringify(argument).length <= FLOW_WIDTH;
  if (isSeq(node) && short && node.items.every((item) => !isMap(item))) node.flow = true;
  return node;
}

/** The template as YAML text. */
export function templateYaml(template: Record<string, unknown>): string {
  const doc = new Document();
  doc.contents = nodeOf(doc, template);
  return doc.toString({ lineWidth: 118, blockQuote: 'literal' });
}
