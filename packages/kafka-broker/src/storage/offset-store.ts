import fs from 'node:fs';
import path from 'node:path';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/** One line of the offsets journal. */
type JournalEntry =
  | { kind: 'commit'; group: string; topic: string; partition: number; offset: number; metadata: string | null }
  | { kind: 'delete-topic'; topic: string }
  | { kind: 'delete-group'; group: string };

/** Rewrite the journal with only the live offsets once it holds this many superseded lines. */
const COMPACT_AFTER_LINES = 100_000;

/**
 * Committed group offsets: a map in memory, persisted as an append-only journal of JSON lines (the role of Kafka's
 * compacted __consumer_offsets topic). A torn last line after a crash is ignored on load; the journal is compacted
 * on open and whenever it has accumulated many superseded lines.
 */
export class OffsetStore {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private readonly journalPath: string;
  private fd: number;
  private linesSinceCompaction = 0;

  constructor(
    dataDir: string,
    private readonly fsync: boolean,
  ) {
    this.journalPath = path.join(dataDir, 'consumer-offsets.jsonl');
    if (fs.existsSync(this.journalPath)) {
      for (const line of fs.readFileSync(this.journalPath, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.apply(JSON.parse(line) as JournalEntry);
        } catch {
          // A line cut short by a crash: everything before it is intact, and it was never acknowledged.
        }
      }
    }
    this.fd = this.compact();
  }

  private apply(entry: JournalEntry): void {
    switch (entry.kind) {
      case 'commit': {
        let topics = this.groups.get(entry.group);
        if (!topics) this.groups.set(entry.group, (topics = new Map<string, Map<number, CommittedOffset>>()));
        let partitions = topics.get(entry.topic);
        if (!partitions) topics.set(entry.topic, (partitions = new Map<number, CommittedOffset>()));
        partitions.set(entry.partition, { offset: entry.offset, metadata: entry.metadata });
        break;
      }
      case 'delete-topic':
        for (const topics of this.groups.values()) topics.delete(entry.topic);
        break;
      case 'delete-group':
        this.groups.delete(entry.group);
        break;
    }
  }

  private append(entries: JournalEntry[]): void {
    for (const entry of entries) this.apply(entry);
    const text = entries.map((entry) => JSON.stringify(entry) + '\n').join('');
    fs.writeSync(this.fd, text);
    if (this.fsync) fs.fsyncSync(this.fd);
    this.linesSinceCompaction += entries.length;
    if (this.linesSinceCompaction >= COMPACT_AFTER_LINES) {
      fs.closeSync(this.fd);
      this.fd = this.compact();
    }
  }

  /** Writes the live state to a new journal and swaps it in atomically; returns the new append descriptor. */
  private compact(): number {
    const lines: string[] = [];
    for (const [group, topics] of this.groups) {
      for (const [topic, partitions] of topics) {
        for (const [partition, { offset, metadata }] of partitions) {
          lines.push(
            JSON.stringify({ kind: 'commit', group, topic, partition, offset, metadata } satisfies JournalEntry),
          );
        }
      }
    }
    const temporary = `${this.journalPath}.tmp`;
    fs.writeFileSync(temporary, lines.map((line) => line + '\n').join(''));
    fs.renameSync(temporary, this.journalPath);
    this.linesSinceCompaction = 0;
    return fs.openSync(this.journalPath, 'a');
  }

  commit(
    group: string,
    offsets: { topic: string; partition: number; offset: number; metadata: string | null }[],
  ): void {
    if (offsets.length === 0) return;
    this.append(offsets.map((offset) => ({ kind: 'commit', group, ...offset })));
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** Every committed partition of a group, grouped by topic. */
  allForGroup(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.groups.get(group) ?? new Map<string, Map<number, CommittedOffset>>();
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  deleteTopic(topic: string): void {
    this.append([{ kind: 'delete-topic', topic }]);
  }

  deleteGroup(group: string): void {
    this.append([{ kind: 'delete-group', group }]);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
