/**
 * Keeps a Map at a maximum size by deleting its oldest keys (insertion order; delete and set again
 * to make a key young).
 *
 * The iterator is kept between calls: a fresh `map.keys()` would walk again every hole V8 leaves
 * for a deleted entry until the next rehash, which makes "delete the oldest" cost time
 * proportional to all the deletions before it.
 */
export class OldestKeyEvictor<K, V> {
  private cursor: Iterator<K> | undefined;

  constructor(private readonly map: Map<K, V>) {}

  trimTo(max: number): void {
    while (this.map.size > max) {
      this.cursor ??= this.map.keys();
      const next = this.cursor.next();
      if (next.done === true) this.cursor = undefined;
      else this.map.delete(next.value);
    }
  }
}
