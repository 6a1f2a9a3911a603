// Pod IP allocation like host-local IPAM: round-robin through 10.244.0.0/16, skipping addresses in use.

/** Hands out unique pod addresses deterministically (first 10.244.0.2, then .3, ...). */
export class IpAllocator {
  private readonly used = new Set<string>();
  /** Offset (from 10.244.0.0) of the last address handed out. */
  private last = 1;

  /** Marks an address as taken (a pod restored with its recorded podIP); false if it already was. */
  reserve(ip: string): boolean {
    if (this.used.has(ip)) return false;
    this.used.add(ip);
    return true;
  }

  /** The next free address after the last one handed out. */
  allocate(): string {
    for (let i = 0; i < 65536; i++) {
      this.last = (this.last + 1) % 65536;
      const low = this.last & 255;
      if (low === 0 || low === 255) continue;
      const ip = `10.244.${this.last >> 8}.${low}`;
      if (this.reserve(ip)) return ip;
    }
    throw new Error('failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.255.254');
  }

  /** Returns an address to the pool. */
  release(ip: string): void {
    this.used.delete(ip);
  }
}
