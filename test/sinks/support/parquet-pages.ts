// Reads the page headers of one Parquet column chunk (Thrift compact protocol), to check page sizes that
// DuckDB's parquet_metadata() does not show (it has sizes per column chunk only). Independent of the writer.

export interface PageHeader {
  /** 0 DATA_PAGE, 1 INDEX_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2 */
  type: number;
  uncompressedSize: number;
  compressedSize: number;
}

class CompactReader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  byte(): number {
    const value = this.bytes[this.pos++];
    if (value === undefined) throw new Error('parquet page header: unexpected end of file');
    return value;
  }

  varint(): number {
    let result = 0;
    let factor = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * factor;
      if ((b & 0x80) === 0) return result;
      factor *= 128;
    }
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  skip(type: number): void {
    switch (type) {
      case 1:
      case 2:
        return; // booleans live in the field header
      case 3:
        this.pos += 1;
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        this.pos += 8;
        return;
      case 8:
        this.pos += this.varint();
        return;
      case 9:
      case 10: {
        const header = this.byte();
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        for (let i = 0; i < size; i++) this.skip(header & 0x0f);
        return;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return;
        const types = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(types >> 4);
          this.skip(types & 0x0f);
        }
        return;
      }
      case 12:
        this.struct(() => false);
        return;
      default:
        throw new Error(`parquet page header: unknown compact type ${type}`);
    }
  }

  /** Walks a struct's fields; `take(id, type)` reads the field itself or returns false to have it skipped. */
  struct(take: (id: number, type: number) => boolean): void {
    let id = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return;
      const type = header & 0x0f;
      id = header >> 4 === 0 ? this.zigzag() : id + (header >> 4);
      if (!take(id, type)) this.skip(type);
    }
  }
}

/** The headers of the pages from `offset` over `length` bytes (a column chunk: dictionary + data pages). */
export function pageHeaders(file: Uint8Array, offset: number, length: number): PageHeader[] {
  const pages: PageHeader[] = [];
  const reader = new CompactReader(file, offset);
  while (reader.pos < offset + length) {
    const page: PageHeader = { type: -1, uncompressedSize: -1, compressedSize: -1 };
    reader.struct((id, type) => {
      if (type !== 5 || id > 3) return false;
      const value = reader.zigzag();
      if (id === 1) page.type = value;
      else if (id === 2) page.uncompressedSize = value;
      else page.compressedSize = value;
      return true;
    });
    pages.push(page);
    reader.pos += page.compressedSize;
  }
  // Headers and pages must tile the chunk exactly, or this reader misread a header.
  if (reader.pos !== offset + length) throw new Error(`parquet pages: chunk at ${offset} misread`);
  return pages;
}
