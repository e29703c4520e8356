import type { NodeGroup } from '@switchyard/flow';

/** Accent colour per node group, for thumbnails and the diff canvas. */
export const NODE_GROUP_COLORS: Record<NodeGroup, string> = {
  trigger: '#3b5bdb',
  routing: '#7048e8',
  people: '#1098ad',
  timing: '#f08c00',
  messaging: '#d6336c',
  automation: '#0ca678',
  terminal: '#495057',
};

/** Colour for a node whose kind the catalog does not know. */
export const UNKNOWN_NODE_COLOR = '#adb5bd';
