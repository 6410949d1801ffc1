// Values the templates cannot know before deploy: an attribute of a custom resource the model does not read. Such a
// value flows through intrinsic functions as text carrying a mark; whatever it decides, check answers UNKNOWN for and
// the twin leaves out, and no load fails on it.

/** The value of `what` ("Stack/Logical.Attribute"), unknown until deploy. */
export const unknownValue = (what: string): string => `{{unknown ${what}}}`;

const MARK = /\{\{unknown ([^}]*)\}\}/;

/** The unknown value a text carries ("Stack/Logical.Attribute"), if any. */
export function unknownIn(value: unknown): string | undefined {
  return typeof value === 'string' ? MARK.exec(value)?.[1] : undefined;
}
