/**
 * Where /login sends the user back to (`?next=`): only a path inside this app, never another
 * origin (`//evil.example`, `/\evil.example`) and never /login itself; /flows otherwise.
 *
 * @example
 * getReturnPath('?next=%2Fflows%2Fabc'); // '/flows/abc'
 */
export function getReturnPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/flows';
  }
  return /^\/login(?:[/?#]|$)/.test(next) ? '/flows' : next;
}
