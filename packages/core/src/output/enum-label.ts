// Names for the values of a plugin's own enums (the const objects the build generates from the
// object's BTF, e.g. `RecvCall = { CALL_RECVFROM: 0, ... }`), so output labels are never a second
// list kept in the same order by hand.

/** The name of the member of `members` whose value is `value`, without `prefix`
 * (`enumLabel(RecvCall, 1, 'CALL_')` → "RECVMSG"); undefined for a value the enum lacks. */
export function enumLabel(members: Readonly<Record<string, number>>, value: number, prefix = ''): string | undefined {
  for (const [name, v] of Object.entries(members)) if (v === value) return name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return undefined;
}

/** The member names of `members` in value order, without `prefix`, leaving out `count` (the
 * trailing member a C enum often has for its size: `enumNames(FlKind, 'FL_', FlKind.FL_KINDS)`). */
export function enumNames(members: Readonly<Record<string, number>>, prefix = '', count?: number): string[] {
  return Object.entries(members)
    .filter(([, v]) => v !== count)
    .sort(([, a], [, b]) => a - b)
    .map(([name]) => (name.startsWith(prefix) ? name.slice(prefix.length) : name));
}
