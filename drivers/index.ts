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

// Scanners beyond serial: keyboard wedge (pure, also usable by the renderer), HID POS, Wiegand.
export * as wedge from './scanners/wedge';
export { WedgeCapture, remapToUs, type KeyEvent, type KeyboardLayout, type WedgeEvent, type WedgeOptions } from './scanners/wedge';
export * as hidPos from './scanners/hid-pos';
export { HidPosScanner, openHidPosScanner, nodeHidPosOpener, type HidPosScannerOptions, type HidPosScanEvent, type HidPosScannerError, type HidPosScannerErrorCode } from './scanners/hid-pos-scanner';
export { HidPosSimulator, createHidPosSimulator, type HidPosSimulatorOptions } from './scanners/hid-pos-simulator';
export * as wiegand from './scanners/wiegand';
export { WiegandReader, openWiegandReader, type WiegandReaderOptions, type WiegandScanEvent, type WiegandReaderError, type WiegandReaderErrorCode } from './scanners/wiegand-reader';
export { WiegandSimulator, startWiegandSimulator, type WiegandSimulatorOptions, type SimulatedCard } from './scanners/wiegand-simulator';

// HID and USB bulk transports (node-hid / usb imported lazily; simulated pairs for tests and the demo).
export { listHidDevices, openNodeHid, createSimulatedHidPair, type HidTransport, type HidDeviceInfo, type HidDeviceFilter, type HidTransportError } from './hid/transport';
export { listUsbDevices, openUsbBulk, createSimulatedBulkPair, type BulkTransport, type UsbDeviceInfo, type UsbBulkOptions, type BulkTransportError } from './usb/bulk-transport';

// ID readers: resident ID cards (SAM protocol), MRZ documents, and the ID-number privacy rule.
export * as sam from './id-readers/sam';
export { SamReader, openSamReader, openSerialSamReader, openUsbSamReader, type IdCardRead, type SamReaderError, type SamReaderErrorCode, type SamTransport, type SamId } from './id-readers/sam-reader';
export { SamSimulator, startSamSimulator, createUsbSamSimulator, SAMPLE_ID_CARD, type SamFault, type SimulatedIdCard, type SamSimulatorOptions } from './id-readers/sam-simulator';
export * as mrz from './id-readers/mrz';
export { MrzReader, openMrzReader, type MrzReaderOptions, type MrzDocumentEvent, type MrzReaderError, type MrzReaderErrorCode } from './id-readers/mrz-reader';
export { MrzSimulator, startMrzSimulator, type MrzSimulatorOptions } from './id-readers/mrz-simulator';
export type { MrzDocument } from './id-readers/mrz';
export { idNumberHash, newIdHashSalt, normalizeIdNumber } from './id-readers/privacy';
