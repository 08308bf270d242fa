import type { Page, SecretMetadata } from "@lanonasis/secrets-client";

/** A group of names sharing a prefix that ends in `/`, e.g. `prod/db/`. */
export interface FolderNode {
  readonly kind: "folder";
  readonly prefix: string;
  /** The last segment, shown as the label. */
  readonly label: string;
}

/** One secret: its name and metadata, never its value. */
export interface SecretNode {
  readonly kind: "secret";
  readonly key: string;
  readonly label: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly description?: string;
}

/** "Load more…": the listing of `parentPrefix` has another page at `cursor`. */
export interface LoadMoreNode {
  readonly kind: "more";
  readonly parentPrefix: string;
}

export type TreeNode = FolderNode | SecretNode | LoadMoreNode;

/** The one call the model makes: the client's `listSecrets`, or anything shaped like it. */
export type ListPage = (options: { prefix: string; limit: number; cursor?: string }) => Promise<Page<SecretMetadata>>;

export const DEFAULT_PAGE_SIZE = 100;

interface Listing {
  readonly children: TreeNode[];
  readonly folders: Set<string>;
  cursor: string | undefined;
}

/**
 * The Secrets view's data: names grouped by their `/` segments, loaded lazily a page at a time.
 *
 * The server lists every name under a prefix (not one level), in name order, a page at a time.
 * Expanding a folder lists its prefix; the page's names are grouped into sub-folders (first
 * remaining segment) and secrets. When the server answers a `nextCursor`, the folder ends with a
 * "Load more…" node; loading it appends the next page, merging names into sub-folders already
 * shown. So a folder holding many names under one sub-folder may need a few "Load more…" clicks
 * before the next sibling appears: the price of asking the server for pages, not for everything.
 *
 * Not thread-safe in any sense that matters in an editor: one extension host, one model.
 */
export class SecretTreeModel {
  private readonly listings = new Map<string, Listing>();
  private readonly pending = new Map<string, Promise<Listing>>();

  constructor(
    private readonly list: ListPage,
    private readonly rootPrefix: string,
    private readonly pageSize: number = DEFAULT_PAGE_SIZE,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new RangeError(`page size out of range 1..1000: ${pageSize}`);
    }
  }

  /** The children of a folder (the root when undefined); lists the first page on first call. */
  async children(parent?: FolderNode): Promise<readonly TreeNode[]> {
    const prefix = parent === undefined ? this.rootPrefix : parent.prefix;
    let listing = this.listings.get(prefix);
    if (listing === undefined) {
      // One request per folder, however often the view asks while the first page is on its way.
      let loading = this.pending.get(prefix);
      if (loading === undefined) {
        const fresh: Listing = { children: [], folders: new Set(), cursor: undefined };
        loading = this.fetchInto(prefix, fresh, undefined).then(() => {
          this.listings.set(prefix, fresh);
          return fresh;
        }).finally(() => this.pending.delete(prefix));
        this.pending.set(prefix, loading);
      }
      listing = await loading;
    }
    return this.snapshot(listing, prefix);
  }

  /** Appends the next page of the folder the node ends; `children` then answers it too. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const listing = this.listings.get(node.parentPrefix);
    if (listing !== undefined && listing.cursor !== undefined) {
      await this.fetchInto(node.parentPrefix, listing, listing.cursor);
    }
  }

  /** Forgets every page, so the next `children` lists afresh. */
  clear(): void {
    this.listings.clear();
  }

  get root(): string {
    return this.rootPrefix;
  }

  private async fetchInto(prefix: string, listing: Listing, cursor: string | undefined): Promise<void> {
    const page = await this.list(cursor === undefined
      ? { prefix, limit: this.pageSize }
      : { prefix, limit: this.pageSize, cursor });
    for (const item of page.items) {
      if (!item.key.startsWith(prefix)) {
        continue;
      }
      const rest = item.key.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash > 0) {
        const segment = rest.slice(0, slash);
        if (!listing.folders.has(segment)) {
          listing.folders.add(segment);
          listing.children.push({ kind: "folder", prefix: prefix + segment + "/", label: segment });
        }
      } else if (rest !== "") {
        listing.children.push(secretNode(item, rest));
      }
    }
    listing.cursor = page.nextCursor === undefined || page.nextCursor === "" ? undefined : page.nextCursor;
  }

  private snapshot(listing: Listing, prefix: string): readonly TreeNode[] {
    const sorted = [...listing.children].sort(byKindThenLabel);
    if (listing.cursor !== undefined) {
      sorted.push({ kind: "more", parentPrefix: prefix });
    }
    return sorted;
  }
}

function secretNode(item: SecretMetadata, label: string): SecretNode {
  const node: SecretNode = {
    kind: "secret",
    key: item.key,
    label,
    version: item.version,
    updatedAt: item.updatedAt,
    ...(item.description === undefined || item.description === "" ? {} : { description: item.description }),
  };
  return node;
}

function byKindThenLabel(a: TreeNode, b: TreeNode): number {
  const rank = (n: TreeNode): number => (n.kind === "folder" ? 0 : n.kind === "secret" ? 1 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) {
    return byRank;
  }
  const la = a.kind === "more" ? "" : a.label;
  const lb = b.kind === "more" ? "" : b.label;
  return la < lb ? -1 : la > lb ? 1 : 0;
}
