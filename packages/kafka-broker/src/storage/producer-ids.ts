import fs from 'node:fs';
import path from 'node:path';

/** Hands out producer ids that stay unique across restarts (the next id is persisted before one is returned). */
export class ProducerIdAllocator {
  private readonly statePath: string;
  private nextId: number;

  constructor(dataDir: string) {
    this.statePath = path.join(dataDir, 'producer-ids.json');
    try {
      this.nextId = (JSON.parse(fs.readFileSync(this.statePath, 'utf8')) as { nextProducerId: number }).nextProducerId;
    } catch {
      this.nextId = 1000;
    }
  }

  allocate(): number {
    const id = this.nextId++;
    fs.writeFileSync(`${this.statePath}.tmp`, JSON.stringify({ nextProducerId: this.nextId }));
    fs.renameSync(`${this.statePath}.tmp`, this.statePath);
    return id;
  }
}
