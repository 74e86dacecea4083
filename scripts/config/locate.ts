// How app configs name things on a page: text as a string or a regex, and elements by ARIA role, label, test id or text (never CSS).
import { z } from 'zod';

/** Every ARIA role Playwright's getByRole accepts. */
export const ARIA_ROLES = [
  'alert', 'alertdialog', 'application', 'article', 'banner', 'blockquote', 'button', 'caption', 'cell', 'checkbox', 'code',
  'columnheader', 'combobox', 'complementary', 'contentinfo', 'definition', 'deletion', 'dialog', 'directory', 'document',
  'emphasis', 'feed', 'figure', 'form', 'generic', 'grid', 'gridcell', 'group', 'heading', 'img', 'insertion', 'link', 'list',
  'listbox', 'listitem', 'log', 'main', 'marquee', 'math', 'meter', 'menu', 'menubar', 'menuitem', 'menuitemcheckbox',
  'menuitemradio', 'navigation', 'none', 'note', 'option', 'paragraph', 'presentation', 'progressbar', 'radio', 'radiogroup',
  'region', 'row', 'rowgroup', 'rowheader', 'scrollbar', 'search', 'searchbox', 'separator', 'slider', 'spinbutton', 'status',
  'strong', 'subscript', 'superscript', 'switch', 'tab', 'table', 'tablist', 'tabpanel', 'term', 'textbox', 'time', 'timer',
  'toolbar', 'tooltip', 'tree', 'treegrid', 'treeitem',
] as const; // prettier-ignore

export type AriaRole = (typeof ARIA_ROLES)[number];

/** A string matches exactly (names, labels) or as a substring (titles, bodies), as each field says; a RegExp matches as written. */
export type TextMatch = string | RegExp;

/** How a check or the login finds an element: ARIA role and accessible name, label, test id, or visible text. */
export type Locate =
  | { readonly role: AriaRole; readonly name?: TextMatch }
  | { readonly label: TextMatch }
  | { readonly testId: string }
  | { readonly text: TextMatch };

export const textMatchSchema = z.union([z.string().min(1), z.instanceof(RegExp)], {
  error: (i) => (i.input === undefined ? 'is required' : 'must be a non-empty string or a RegExp'),
});

const LOCATE_KEYS = ['role', 'label', 'testId', 'text'] as const;

/** One object with every key optional, then "exactly one way to find it": so a bad role is named as such, not "Invalid input". */
export const locateSchema = z
  .object({
    role: z
      .enum(ARIA_ROLES, { error: (i) => `is not an ARIA role (got ${JSON.stringify(i.input)}); e.g. button, link, heading, combobox` })
      .optional(),
    name: textMatchSchema.optional(),
    label: textMatchSchema.optional(),
    testId: z.string().min(1).optional(),
    text: textMatchSchema.optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    const given = LOCATE_KEYS.filter((k) => l[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({ code: 'custom', message: `give exactly one of role, label, testId, text (got ${given.join(', ') || 'none'})` });
    if (l.name !== undefined && l.role === undefined)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'goes with role, e.g. { role: "button", name: "Sign in" }' });
  });

/** `"Password"` or `/^Pass/i`, for messages. */
export function showText(t: TextMatch): string {
  return typeof t === 'string' ? JSON.stringify(t) : String(t);
}

/** Exact (string) or pattern (RegExp) match, e.g. of an accessible name. */
export function matchesExactly(t: TextMatch, value: string): boolean {
  return typeof t === 'string' ? t === value : new RegExp(t.source, t.flags.replace('g', '')).test(value);
}

/** Substring (string) or pattern (RegExp) match, e.g. of a title or a body. */
export function contains(t: TextMatch, value: string): boolean {
  return typeof t === 'string' ? value.includes(t) : new RegExp(t.source, t.flags.replace('g', '')).test(value);
}

/** How an element is described in messages: `heading "Demo Shop"`, `test id "product-highlights"`, `text /Signed in/`. */
export function describeLocate(what: Locate): string {
  if ('testId' in what) return `test id "${what.testId}"`;
  if ('label' in what) return `field labelled ${showText(what.label)}`;
  if ('text' in what) return `text ${showText(what.text)}`;
  return what.name === undefined ? what.role : `${what.role} ${showText(what.name)}`;
}
