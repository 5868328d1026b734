const WITH_MILLISECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const WITHOUT_MILLISECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * A Date parsed from UTC ISO-8601 text, remembering that text in the canonical form SQLite
 * stores (`2024-01-02T03:04:05.000Z`). APIs send datetimes as such text; turning them into
 * Dates for converters and back into text for SQLite would format every value twice.
 * `canonicalText()` answers only while the instant is unchanged, so a Date mutated by a
 * converter is formatted afresh.
 */
export class IsoDate extends Date {
  readonly #text: string;
  readonly #time: number;

  constructor(text: string, canonical: string) {
    super(text);
    this.#text = canonical;
    this.#time = this.getTime();
  }

  canonicalText(): string | undefined {
    return this.getTime() === this.#time ? this.#text : undefined;
  }
}

/** Parses date text; UTC ISO text becomes an `IsoDate` carrying its canonical form. */
export function parseDateText(text: string): Date {
  if (WITH_MILLISECONDS.test(text)) return new IsoDate(text, text);
  if (WITHOUT_MILLISECONDS.test(text)) return new IsoDate(text, `${text.slice(0, 19)}.000Z`);
  return new Date(text);
}
