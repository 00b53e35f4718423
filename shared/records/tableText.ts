/**
 * Long text in Azure Table entities. A property holds at most 64 KiB and an entity at most 1 MiB with
 * 255 properties. Text is stored as its UTF-8 bytes in Binary properties `t0`…`tN` of at most
 * PIECE_BYTES each, PIECES_PER_ENTITY per entity. (Binary, not String: it travels as base64, which
 * also keeps multi-byte characters intact through Azurite, which can split them in large bodies.)
 */
export const PIECE_BYTES = 60_000;
export const PIECES_PER_ENTITY = 10;
/** Most bytes one entity holds: 600,000 (800,000 as base64, which Azurite counts), of the 1 MiB. */
export const ENTITY_TEXT_BYTES = PIECE_BYTES * PIECES_PER_ENTITY;

export type TextProperties = Record<string, Uint8Array | number>;

function pieces(bytes: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += PIECE_BYTES)
    out.push(new Uint8Array(bytes.subarray(i, i + PIECE_BYTES)));
  return out;
}

function props(group: readonly Uint8Array[]): TextProperties {
  const p: TextProperties = { tCount: group.length };
  group.forEach((piece, j) => (p[`t${j}`] = piece));
  return p;
}

/** Properties holding the text, which must fit one entity (ENTITY_TEXT_BYTES of UTF-8). */
export function textProperties(text: string): TextProperties {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > ENTITY_TEXT_BYTES) {
    throw new Error(`text of ${bytes.length} bytes does not fit one table entity (max ${ENTITY_TEXT_BYTES})`);
  }
  return props(pieces(bytes));
}

/** Property sets for as many entities as the text needs (at least one), in order. */
export function textEntities(text: string): TextProperties[] {
  const all = pieces(Buffer.from(text, 'utf8'));
  const out: TextProperties[] = [];
  for (let i = 0; i === 0 || i < all.length; i += PIECES_PER_ENTITY)
    out.push(props(all.slice(i, i + PIECES_PER_ENTITY)));
  return out;
}

/** Reads back the text of one entity (or the part of it that entity holds). */
export function textFrom(entity: Record<string, unknown>): string {
  return textBytes(entity).toString('utf8');
}

/** The raw bytes of one entity's part, for joining parts before decoding. */
export function textBytes(entity: Record<string, unknown>): Buffer {
  const count = Number(entity.tCount ?? 0);
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const piece = entity[`t${i}`];
    if (!(piece instanceof Uint8Array))
      throw new Error(`table entity is missing text piece t${i} of ${count}`);
    parts.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
  }
  return Buffer.concat(parts);
}
