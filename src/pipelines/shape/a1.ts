// A1 notation for provenance: every record says which cell of the ORIGINAL sheet it came from, in
// the form a person can paste into Excel's Name Box (`'11-4 进出口'!C7`).

/** Zero-based column index → letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** `C7` for zero-based row 6, column 2. */
export function cellAddress(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/**
 * Quotes a sheet name the way Excel writes it in references: bare when it is a plain identifier
 * (letters of any script, digits, `_`, `.` and not starting with a digit), quoted otherwise, with
 * embedded quotes doubled. Names that read as a cell (`A1`, `R1C1`) or a boolean must be quoted too,
 * or the reference would be ambiguous.
 */
export function quoteSheetName(sheet: string): string {
  const plain = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(sheet);
  const looksLikeCell = /^[A-Za-z]{1,3}\d+$/.test(sheet) || /^R\d*C\d*$/i.test(sheet) || /^(TRUE|FALSE)$/i.test(sheet);
  if (plain && !looksLikeCell) return sheet;
  return `'${sheet.replace(/'/g, "''")}'`;
}

/** `Sheet!C7`, the provenance of one value. */
export function cellRef(sheet: string, row: number, col: number): string {
  return `${quoteSheetName(sheet)}!${cellAddress(row, col)}`;
}

/** `A4:H30` for a zero-based inclusive rectangle. */
export function rangeAddress(r0: number, c0: number, r1: number, c1: number): string {
  return `${cellAddress(r0, c0)}:${cellAddress(r1, c1)}`;
}
