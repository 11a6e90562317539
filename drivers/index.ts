// Owns the public surface of the device drivers: the core and the Electron shell import from here,
// never from a driver's internals. Nothing under drivers/ imports electron.
export { DriverError, isDriverError, type ConnectionStatus } from './errors';
export { TypedEmitter, nextEvent } from './events';
export { hex, hex2, hex4 } from './bytes';

export * from './scanners/serial-framing';
export { SerialScanner, openSerialScanner, type SerialScannerOptions, type ScanEvent, type ScannerError, type ScannerErrorCode } from './scanners/serial-scanner';
export { ScannerSimulator, startScannerSimulator, type ScannerSimulatorOptions, type SimTerminator } from './scanners/serial-scanner-simulator';

export * from './relays/lcus';
export { LcusRelay, openLcusRelay, type LcusRelayOptions, type RelayChange, type RelayError, type RelayErrorCode } from './relays/lcus-relay';
export { LcusSimulator, startLcusSimulator, type LcusSimulatorOptions, type RelaySimChange, type RelaySimPulse, type RejectedFrame } from './relays/lcus-simulator';
// Relay boards beyond LCUS (dcttech / CH551G USB HID, Modbus RTU and TCP IO boards) and the turnstile
// on top of any of them: pulse to open, emergency open-all, passage / no-passage from an input.
export * as dcttech from './relays/dcttech';
export { HidRelay, openHidRelay, openDcttechUsbRelay, type HidRelayOptions, type HidRelayChange, type HidRelayDriverError, type HidRelayDriverErrorCode, type DcttechUsbOptions } from './relays/dcttech-relay';
export { HidRelaySimulator, createHidRelaySimulator, type HidRelaySimulatorOptions, type HidRelaySimChange, type HidRelaySimPulse, type HidRelaySimRejected } from './relays/dcttech-simulator';
export * as modbus from './relays/modbus';
export { ModbusRelay, ModbusRelayError, openModbusRelay, type ModbusRelayOptions, type ModbusRelayChange, type ModbusRelayErrorCode, type ModbusTransportOptions } from './relays/modbus-relay';
export {
  ModbusSlave,
  ModbusRtuSimulator,
  ModbusTcpSimulator,
  startModbusRtuSimulator,
  startModbusTcpSimulator,
  type ModbusFault,
  type ModbusSlaveOptions,
  type ModbusRtuSimulatorOptions,
  type ModbusTcpSimulatorOptions,
  type ModbusSimChange,
  type ModbusSimPulse,
  type ModbusSimRequest,
  type ModbusSimRejected,
} from './relays/modbus-simulator';
export {
  createTurnstile,
  openLcusTurnstile,
  openHidTurnstile,
  openModbusTurnstile,
  PULSE_MIN_MS,
  PULSE_MAX_MS,
  POLL_MIN_MS,
  POLL_MAX_MS,
  type Turnstile,
  type TurnstileOptions,
  type TurnstileSettings,
  type TurnstileStatus,
  type TurnstileEvents,
  type RelayOutputs,
  type PassageInput,
  type PassageSettings,
  type PassageDirection,
  type PassageEvent,
  type NoPassageEvent,
} from './relays/turnstile';

export type { PrintDocument, PrintBlock, PrinterStatus, TextAlign } from './printers/document';
export * as escpos from './printers/escpos';
export { EscPosParser, MAX_RASTER_BYTES, type EscPosCommand } from './printers/escpos-parser';
export { createEscPosPrinter, type EscPosPrinter, type EscPosPrinterOptions, type PrinterError, type PrinterErrorCode } from './printers/escpos-printer';
export { EscPosSimulator, startEscPosSimulator, type EscPosSimulatorOptions, type PrintedJob } from './printers/escpos-simulator';
export { ReconnectingPort, type ReconnectingPortOptions } from './serial/reconnecting-port';
export { openDevicePort, writeAll, closeDevicePort } from './serial/device-port';

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
export {
  listHidDevices,
  openNodeHid,
  matchesHidFilter,
  createSimulatedHidPair,
  SimulatedHidDevice,
  SimulatedHidHost,
  type HidTransport,
  type HidDeviceInfo,
  type HidDeviceFilter,
  type HidTransportError,
  type HidTransportErrorCode,
  type NodeHidOpenOptions,
  type SimulatedHidPair,
  type FeatureReportHandler,
} from './hid/transport';
export {
  listUsbDevices,
  openUsbBulk,
  createSimulatedBulkPair,
  SimulatedBulkDevice,
  type BulkTransport,
  type UsbDeviceInfo,
  type UsbDeviceFilter,
  type UsbBulkOptions,
  type BulkTransportError,
  type BulkTransportErrorCode,
  type SimulatedBulkPair,
  type SimulatedBulkPairOptions,
} from './usb/bulk-transport';

// ID readers: resident ID cards (SAM protocol), MRZ documents, and the ID-number privacy rule.
export * as sam from './id-readers/sam';
export { SamReader, openSamReader, openSerialSamReader, openUsbSamReader, SAM_REQUESTS, type IdCardRead, type SamReaderError, type SamReaderErrorCode, type SamTransport, type SamId, type SamReaderOptions, type SerialSamReaderOptions } from './id-readers/sam-reader';
export {
  SamSimulator,
  startSamSimulator,
  createUsbSamSimulator,
  serialDeviceLink,
  bulkDeviceLink,
  defaultPhoto,
  SAMPLE_ID_CARD,
  DEFAULT_SAM_ID,
  type SamFault,
  type SimulatedIdCard,
  type SamSimulatorOptions,
  type SamDeviceLink,
} from './id-readers/sam-simulator';
export * as mrz from './id-readers/mrz';
export { MrzReader, openMrzReader, type MrzReaderOptions, type MrzDocumentEvent, type MrzReaderError, type MrzReaderErrorCode } from './id-readers/mrz-reader';
export { MrzSimulator, startMrzSimulator, type MrzSimulatorOptions } from './id-readers/mrz-simulator';
export type { MrzDocument } from './id-readers/mrz';
export { idNumberHash, newIdHashSalt, normalizeIdNumber, MIN_SALT_BYTES } from './id-readers/privacy';

// Printers beyond ESC/POS over TCP: one transport interface (raw TCP, serial, USB bulk on the
// printer-class interface), Star line mode, TSPL and ZPL labels, Boca FGL tickets, and PVC badges
// (OS print queue or raw Evolis). Every printer reports the shared PrinterStatus.
export { PrinterBase, perr, printerRefusal, refuseIfNotReady, READY, type PrinterRefusal, type Printer, type LabelPrinter, type PrinterProtocol, type PrinterEvents } from './printers/printer';
export { BaseTransport, untilByte, type PrinterTransport, type ReplyFrame, type TransportKind, type LinkError, type LinkErrorCode } from './printers/transports/transport';
export { TcpLink, createTcpTransport } from './printers/tcp-link';
export { SerialTransport, createSerialTransport, type SerialTransportOptions } from './printers/transports/serial';
export { UsbTransport, createUsbTransport, findUsbPrinters, openUsbPrinter, findPrinterInterface, USB_PRINTER_CLASS, type UsbPrinterDevice, type UsbTransportOptions } from './printers/transports/usb';
export { SimulatedUsbPrinter, type SimulatedUsbOptions } from './printers/transports/usb-simulated';
export { PrinterSimulator, type DeviceSession, type SimError, type PrinterSimulatorOptions } from './printers/printer-simulator';
export { startSerialEscPosSimulator } from './printers/escpos-simulator';
export { Bitmap, greyToPng, type QrLevel } from './printers/raster';
export { layoutDocument, validateLabel, mmToDots, charWidth, qrModules, DEFAULT_DPI, DEFAULT_TEXT_HEIGHT, MAX_QR_BYTES, type LabelDocument, type LabelItem, type LayoutOptions } from './printers/label';
export { LabelPrinterBase, type LabelPrinterOptions, type LabelStock } from './printers/label-printer';
export * as star from './printers/star';
export { StarPrinter, createStarPrinter, type StarPrinterOptions } from './printers/star-printer';
export { StarSimulator, startStarSimulator, STAR_WIDTH_DOTS, type StarJob } from './printers/star-simulator';
export * as tspl from './printers/tspl';
export { TsplPrinter, createTsplPrinter } from './printers/tspl-printer';
export { TsplSimulator, startTsplSimulator, type LabelJob } from './printers/tspl-simulator';
export * as zpl from './printers/zpl';
export { ZplPrinter, createZplPrinter } from './printers/zpl-printer';
export { ZplSimulator, startZplSimulator, type ZplState } from './printers/zpl-simulator';
export * as fgl from './printers/fgl';
export { FglPrinter, createFglPrinter, type FglPrinterOptions } from './printers/fgl-printer';
export { FglSimulator, startFglSimulator, type FglSimulatorOptions, type TicketJob } from './printers/fgl-simulator';
export { renderBadge, defaultBadgeTemplate, fitText, CR80_EVOLIS, CR80_GENERIC, type BadgeData, type BadgeTemplate, type RenderedBadge, type CardSize } from './badges/badge';
export { isRendered, type BadgePrinter } from './badges/badge-printer';
export * as evolis from './badges/evolis';
export { EvolisPrinter, createEvolisPrinter, type EvolisPrinterOptions } from './badges/evolis-printer';
export { EvolisSimulator, startEvolisSimulator, type CardJob, type EvolisState } from './badges/evolis-simulator';
export { OsQueueBadgePrinter, createOsQueueBadgePrinter, submitToCups, submitToWindowsSpooler, cupsQueueStatus, parseLpstat, windowsPrintCommand, lpArgs, type OsQueueOptions } from './badges/os-queue';
