// Owns the device end of a simulated serial line: opens a PTY path with the real serialport binding
// and offers awaited writes. Simulators are deliberately plain (no reconnect): a test that unplugs
// the line starts a new simulator, as a new device would be plugged in.
import { SerialPort } from 'serialport';

export async function openDevicePort(path: string, baudRate = 9600): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  // Without a listener, a late error (the PTY vanishing on unplug) would be thrown by the stream.
  port.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return port;
}

export function writeAll(port: SerialPort, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!port.isOpen) return reject(new Error(`${port.path} is not open`));
    port.write(data, (err) => {
      if (err) return reject(err);
      port.drain((e) => (e ? reject(e) : resolve()));
    });
  });
}

export async function closeDevicePort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}
