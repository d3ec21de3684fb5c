// Catalog Appendix A shapes as the upstream test suites wrote them: `<IP>` and `<IF>` stand for the
// environment's addresses and interfaces. A test turns a shape into argv by filling the
// placeholders, in order, with its own values; nothing else of the line changes.

export interface ShapeValues {
  /** Values for the `<IP>` placeholders, in the order they appear (source, then destination). */
  ip?: string[];
  /** Values for the `<IF>` placeholders, in the order they appear. */
  if?: string[];
}

/** The argv of `nettrace run <id> …` for an Appendix A shape (script name already stripped). */
export function shapeArgv(line: string, values: ShapeValues = {}): string[] {
  const pending = { '<IP>': [...(values.ip ?? [])], '<IF>': [...(values.if ?? [])] };
  return line
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => {
      if (w !== '<IP>' && w !== '<IF>') return w;
      const v = pending[w].shift();
      if (v === undefined) throw new Error(`shape '${line}': no value left for ${w}`);
      return v;
    });
}

/** The value that follows `flag` in argv (the shape's own choice, e.g. its protocol). */
export function flagValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
}
