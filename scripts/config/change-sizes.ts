// The change sizes a release manifest names (each picks a checking period); on their own so a command's --help loads no schema library.
export const CHANGE_SIZES = ['patch', 'minor', 'major', 'migration', 'infrastructure'] as const;
export type ChangeSize = (typeof CHANGE_SIZES)[number];
