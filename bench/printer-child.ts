// Child of bench/sale-to-printer.ts: an ESC/POS printer simulator in its own process (so its PNG
// rendering never runs on the measured thread) that reports, for each job, when the chunk holding the
// job's cut arrived — the moment the ticket's last byte was at the printer — on the shared wall clock.
import { EscPosSimulator } from '../drivers/printers/escpos-simulator';
import type { DeviceSession } from '../drivers/printers/printer-simulator';

const now = () => performance.timeOrigin + performance.now();

class TimedSimulator extends EscPosSimulator {
  lastChunkAt = 0;
  protected override createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    const inner = super.createSession(reply);
    return {
      push: (chunk) => {
        this.lastChunkAt = now();
        inner.push(chunk);
      },
      end: () => inner.end(),
    };
  }
}

const sim = new TimedSimulator();
sim.on('job', (job) => {
  process.send!({ job: job.id, at: sim.lastChunkAt, bytes: job.bytes.length, errors: job.errors.length });
  // The log is not needed here; a long run must not hold every PNG.
  sim.jobs.length = 0;
});
await sim.listen(0);
process.send!({ port: sim.port });
process.on('message', (m: { stop?: boolean }) => {
  if (m.stop) void sim.close().then(() => process.exit(0));
});
