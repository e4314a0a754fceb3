/** A held page's answers kept per key (language, day and printed address; or `json`): a few. */
const ANSWERS_PER_PAGE = 8;

/** Counted for each page beside its bytes: the page's own object, its maps and their keys. */
const PAGE_OVERHEAD_BYTES = 512;

/**
 * A page this process holds at one version of its row: the answers made from it, ready to send,
 * so a campaign's thousand scans of one label cost one render. What was read to make them is
 * not kept (an answer under a new key reads the page again): a lot scanned takes about one
 * answer's bytes.
 */
export class HeldPage {
  /** Answers by key (a page by language, day and printed address; its JSON), and gzipped. */
  private readonly rendered = new Map<string, Buffer>();
  private readonly compressed = new Map<string, Buffer>();
  bytes = PAGE_OVERHEAD_BYTES;
  /** Whether its owner counts it: set by HeldPages as it holds and lets go. */
  held = false;

  constructor(
    readonly code: string,
    readonly version: string,
    readonly lotId: string,
    readonly gtin: string | null,
    readonly scanWarning: boolean,
    private readonly owner: HeldPages,
  ) {}

  answer(key: string): Buffer | undefined {
    return this.rendered.get(key);
  }

  compressedAnswer(key: string): Buffer | undefined {
    return this.compressed.get(key);
  }

  keepAnswer(key: string, bytes: Buffer): void {
    this.keep(this.rendered, key, bytes);
  }

  keepCompressedAnswer(key: string, bytes: Buffer): void {
    this.keep(this.compressed, key, bytes);
  }

  private keep(into: Map<string, Buffer>, key: string, bytes: Buffer): void {
    if (into.has(key) || into.size >= ANSWERS_PER_PAGE) return;
    into.set(key, bytes);
    this.bytes += bytes.length;
    this.owner.grew(this, bytes.length);
  }
}

/**
 * The pages a process holds, within a budget of bytes (`PAGE_MEMORY_MB`), the most recently
 * scanned kept: when a page grows the budget past its limit, the pages scanned longest ago are
 * let go. Holding saves a page's transfer and filling in, never its freshness: each scan still
 * reads the row's version.
 */
export class HeldPages {
  private readonly pages = new Map<string, HeldPage>();
  private total = 0;

  constructor(private readonly budgetBytes: number) {}

  get(code: string): HeldPage | undefined {
    return this.pages.get(code);
  }

  /** A new page at a version it read, not held until `scanned`. */
  create(
    code: string,
    row: { version: string; lotId: string; gtin: string | null; scanWarning: boolean },
  ): HeldPage {
    return new HeldPage(code, row.version, row.lotId, row.gtin, row.scanWarning, this);
  }

  /** Holds the page, most recently scanned last, in place of an older version of it. */
  scanned(page: HeldPage): void {
    const before = this.pages.get(page.code);
    if (before === page) this.pages.delete(page.code);
    else {
      if (before) this.letGo(before);
      page.held = true;
      this.total += page.bytes;
    }
    this.pages.set(page.code, page);
    this.trim(page);
  }

  delete(code: string): void {
    const page = this.pages.get(code);
    if (page) this.letGo(page);
  }

  /** What the pages held take, in bytes, as counted. */
  get heldBytes(): number {
    return this.total;
  }

  get size(): number {
    return this.pages.size;
  }

  /** Called as a page keeps more: counted if held (a page not held is counted once it is). */
  grew(page: HeldPage, bytes: number): void {
    if (!page.held) return;
    this.total += bytes;
    this.trim(page);
  }

  private letGo(page: HeldPage): void {
    this.pages.delete(page.code);
    page.held = false;
    this.total -= page.bytes;
  }

  /** Lets go of the pages scanned longest ago until the rest fit, never the one just kept. */
  private trim(keep: HeldPage): void {
    // Only when over: a map's iteration starts by stepping over the places its deleted entries
    // left, and every scan moves its page to the end.
    if (this.total <= this.budgetBytes) return;
    for (const page of this.pages.values()) {
      if (this.total <= this.budgetBytes) return;
      if (page !== keep) this.letGo(page);
    }
  }
}
