/** Literal-prefix lookup over character codes; finds the longest stored prefix of a string without allocating. */
interface TrieNode<T> {
  value: T | undefined;
  readonly next: Map<number, TrieNode<T>>;
}

export class PrefixTrie<T> {
  private readonly root: TrieNode<T> = { value: undefined, next: new Map() };
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Stores `value` under `prefix`; an existing entry for the same prefix is kept (first wins). */
  add(prefix: string, value: T): void {
    let node = this.root;
    for (let i = 0; i < prefix.length; i++) {
      const c = prefix.charCodeAt(i);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { value: undefined, next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    if (node.value === undefined) {
      node.value = value;
      this.count++;
    }
  }

  /** The value of the longest stored prefix of `text`, if any. */
  longestPrefixOf(text: string): T | undefined {
    let node: TrieNode<T> | undefined = this.root;
    let found: T | undefined = this.root.value;
    for (let i = 0; i < text.length; i++) {
      node = node.next.get(text.charCodeAt(i));
      if (node === undefined) break;
      if (node.value !== undefined) found = node.value;
    }
    return found;
  }
}
