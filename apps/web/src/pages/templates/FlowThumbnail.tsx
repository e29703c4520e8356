import { memo, useId, useMemo } from 'react';
import { NODE_GROUP_COLORS, UNKNOWN_NODE_COLOR } from '../../shell/node-colors';
import { getThumbnailLayout } from './thumbnail';
import type { ThumbnailSource } from './thumbnail';

interface FlowThumbnailProps {
  readonly flow: ThumbnailSource;
  readonly width?: number;
  readonly height?: number;
  readonly label: string;
}

/** A small SVG picture of a flow: node boxes coloured by group and the edges between them. */
export const FlowThumbnail = memo(function FlowThumbnail({
  flow,
  width = 320,
  height = 150,
  label,
}: FlowThumbnailProps) {
  const dots = `sy-dots-${useId().replace(/:/g, '')}`;
  const layout = useMemo(
    () => getThumbnailLayout(flow, { width, height, padding: 14 }),
    [flow, width, height],
  );
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      height={height}
      role="img"
      aria-label={label}
      preserveAspectRatio="xMidYMid meet"
      className="sy-thumbnail"
    >
      <defs>
        <pattern id={dots} width="12" height="12" patternUnits="userSpaceOnUse">
          <circle cx="1" cy="1" r="0.8" fill="#d0d5dd" />
        </pattern>
      </defs>
      <rect width={layout.width} height={layout.height} fill={`url(#${dots})`} />
      {layout.edges.map((edge) => (
        <path key={edge.id} d={edge.d} fill="none" stroke="#98a2b3" strokeWidth={1.2} />
      ))}
      {layout.nodes.map((node) => {
        const color = node.group === null ? UNKNOWN_NODE_COLOR : NODE_GROUP_COLORS[node.group];
        return (
          <g key={node.id}>
            <rect
              x={node.x}
              y={node.y}
              width={node.width}
              height={node.height}
              rx={Math.min(4, node.height / 4)}
              fill="#ffffff"
              stroke={color}
              strokeWidth={1.2}
            />
            <rect
              x={node.x}
              y={node.y}
              width={Math.max(node.width * 0.06, 2)}
              height={node.height}
              rx={Math.min(2, node.height / 6)}
              fill={color}
            />
          </g>
        );
      })}
    </svg>
  );
});
