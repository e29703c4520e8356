/** Keyboard shortcuts, listed once: the key handler and the help dialog both read this. */
export interface Shortcut {
  readonly id: string;
  /** Keys as shown; `Mod` is ⌘ on a Mac and Ctrl elsewhere. */
  readonly keys: readonly (readonly string[])[];
  readonly group: 'edit' | 'canvas' | 'panels';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'undo', keys: [['Mod', 'Z']], group: 'edit' },
  {
    id: 'redo',
    keys: [
      ['Mod', 'Shift', 'Z'],
      ['Mod', 'Y'],
    ],
    group: 'edit',
  },
  { id: 'copy', keys: [['Mod', 'C']], group: 'edit' },
  { id: 'cut', keys: [['Mod', 'X']], group: 'edit' },
  { id: 'paste', keys: [['Mod', 'V']], group: 'edit' },
  { id: 'duplicate', keys: [['Mod', 'D']], group: 'edit' },
  { id: 'delete', keys: [['Delete'], ['Backspace']], group: 'edit' },
  { id: 'selectAll', keys: [['Mod', 'A']], group: 'edit' },
  { id: 'nudge', keys: [['←', '↑', '→', '↓']], group: 'edit' },
  { id: 'nudgeFar', keys: [['Shift', '←', '↑', '→', '↓']], group: 'edit' },
  { id: 'boxSelect', keys: [['drag']], group: 'canvas' },
  { id: 'addToSelection', keys: [['Shift', 'click']], group: 'canvas' },
  { id: 'pan', keys: [['Space', 'drag'], ['scroll']], group: 'canvas' },
  { id: 'zoom', keys: [['Mod', 'scroll']], group: 'canvas' },
  { id: 'fitView', keys: [['Shift', '1']], group: 'canvas' },
  { id: 'layout', keys: [['Shift', 'L']], group: 'canvas' },
  { id: 'snap', keys: [['Shift', 'G']], group: 'canvas' },
  { id: 'problems', keys: [['Shift', 'P']], group: 'panels' },
  { id: 'json', keys: [['Shift', 'J']], group: 'panels' },
  { id: 'help', keys: [['?']], group: 'panels' },
];

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

export function showKey(key: string): string {
  if (key === 'Mod') return isMac() ? '⌘' : 'Ctrl';
  if (key === 'Shift') return isMac() ? '⇧' : 'Shift';
  return key;
}

/** A short hint for tooltips, e.g. "Ctrl+Shift+Z". */
export function getShortcutHint(id: string): string {
  const shortcut = SHORTCUTS.find((entry) => entry.id === id);
  const [first] = shortcut?.keys ?? [];
  return first === undefined ? '' : first.map(showKey).join(isMac() ? '' : '+');
}
