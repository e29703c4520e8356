import { BRAND_COLOR } from './theme';

interface LogoProps {
  /** Show the word mark next to the symbol. */
  readonly withText?: boolean;
  /** Colour of the word mark. */
  readonly textColor?: string;
  readonly size?: number;
}

/** The Switchyard mark: two tracks joined by a switch, in the brand colour. */
export function Logo({ withText = true, textColor = '#ffffff', size = 28 }: LogoProps) {
  return (
    <span className="sy-logo" style={{ display: 'inline-flex', alignItems: 'center', gap: 10 }}>
      <svg width={size} height={size} viewBox="0 0 32 32" role="img" aria-label="Switchyard">
        <rect width="32" height="32" rx="8" fill={BRAND_COLOR} />
        <path
          d="M7 22h18M7 10h6c4 0 6 12 12 12"
          stroke="#fff"
          strokeWidth="2.6"
          strokeLinecap="round"
          fill="none"
        />
        <circle cx="7" cy="10" r="2.4" fill="#91a7ff" />
        <circle cx="7" cy="22" r="2.4" fill="#fff" />
      </svg>
      {withText && (
        <span
          style={{
            color: textColor,
            fontWeight: 650,
            fontSize: Math.round(size * 0.62),
            letterSpacing: 0.2,
          }}
        >
          Switchyard
        </span>
      )}
    </span>
  );
}
