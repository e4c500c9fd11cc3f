/**
 * Rendered request-list pages, kept by the fingerprint of the rows they show (requestsFingerprint): a page
 * is reused only while every case on it, its service, organisation and latest public note are the same row
 * versions, so an answer is never older than the database, whichever process made the last change. Open311
 * clients poll the same lists over and over; a hit costs one small query instead of reading, formatting and
 * encoding 1 000 rows. Least recently used pages go first once the cache holds `maxBytes`.
 */
export class PageCache {
  private readonly pages = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: Buffer): void {
    if (page.length > this.maxBytes) return;
    const old = this.pages.get(key);
    if (old) {
      this.pages.delete(key);
      this.bytes -= old.length;
    }
    this.pages.set(key, page);
    this.bytes += page.length;
    for (const [oldest, value] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= value.length;
    }
  }
}
