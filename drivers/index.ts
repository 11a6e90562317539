// Owns the public surface of the device drivers: the core and the Electron shell import from here,
// never from a driver's internals. Nothing under drivers/ imports electron.
export { DriverError, isDriverError, type ConnectionStatus } from './errors';
export { TypedEmitter, nextEvent } from './events';

export * from './scanners/serial-framing';
export { SerialScanner, openSerialScanner, type SerialScannerOptions, type ScanEvent, type ScannerError, type ScannerErrorCode } from './scanners/serial-scanner';
export { ScannerSimulator, startScannerSimulator, type ScannerSimulatorOptions, type SimTerminator } from './scanners/serial-scanner-simulator';

export * from './relays/lcus';
export { LcusRelay, openLcusRelay, type LcusRelayOptions, type RelayChange, type RelayError, type RelayErrorCode } from './relays/lcus-relay';
export { LcusSimulator, startLcusSimulator, type LcusSimulatorOptions, type RelaySimChange, type RelaySimPulse, type RejectedFrame } from './relays/lcus-simulator';

export type { PrintDocument, PrintBlock, PrinterStatus, TextAlign } from './printers/document';
export * as escpos from './printers/escpos';
export { EscPosParser, type EscPosCommand } from './printers/escpos-parser';
export { createEscPosPrinter, type EscPosPrinter, type EscPosPrinterOptions, type PrinterError, type PrinterErrorCode } from './printers/escpos-printer';
export { EscPosSimulator, startEscPosSimulator, type EscPosSimulatorOptions, type PrintedJob } from './printers/escpos-simulator';
export { ReconnectingPort, type ReconnectingPortOptions } from './serial/reconnecting-port';
