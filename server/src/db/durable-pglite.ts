// Owns embedded PGlite's durability: by default PGlite starts PostgreSQL with fsync off (-F), and its
// Node file system has no fsync at all, so a power cut can take back commits the server already
// acknowledged. Here PostgreSQL runs with fsync on and syncs its WAL with fsync() (wal_sync_method =
// fsync: PGlite answers fdatasync() without doing anything), and the file system's fsync reaches the
// disk (fs.fsyncSync on the real file).
import { fsyncSync } from 'node:fs';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type EmscriptenOpts = Awaited<ReturnType<NodeFS['init']>>['emscriptenOpts'];
type NodeFsModule = { NODEFS: { stream_ops: { fsync?: (stream: { nfd?: number }) => number } } };

/** How many times a commit or checkpoint asked for a file to reach the disk (tests read it). */
let fsyncs = 0;
export const fsyncCount = (): number => fsyncs;

class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]): Promise<{ emscriptenOpts: EmscriptenOpts }> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const preRun = [
      ...((emscriptenOpts as { preRun?: unknown[] }).preRun ?? []),
      (mod: NodeFsModule) => {
        mod.NODEFS.stream_ops.fsync = (stream) => {
          if (stream.nfd !== undefined) {
            fsyncSync(stream.nfd);
            fsyncs++;
          }
          return 0;
        };
      },
    ];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } as EmscriptenOpts };
  }
}

/** PGlite's own start parameters, without the one that turns fsync off. */
function startParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams;
  if (!defaults) throw new Error('this PGlite version does not expose its start parameters; durability cannot be set');
  return [...defaults.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync', '-c', 'synchronous_commit=on'];
}

/** An embedded PGlite on `dataDir` whose acknowledged commits are on disk. */
export function durablePglite(dataDir: string, options: Omit<PGliteOptions, 'fs' | 'dataDir' | 'startParams'> = {}): PGlite {
  return new PGlite({ ...options, fs: new DurableNodeFS(dataDir), startParams: startParams() });
}
