// Owns the public surface of the device drivers: the core, the Electron shell and the installer CLI
// import from here, never from a driver's internals. Opening a device goes through the protocol
// registry (openDevice with a device's configuration); the rest is each protocol's pure bytes module
// (as a namespace: escpos, star, tspl, zpl, fgl, evolis, sam, mrz, hidPos, wiegand, wedge, dcttech, zvt,
// modbus), its driver, and the shared types. Simulators, simulated HID / USB links and test support
// are NOT here: they have their own entry (./simulators.ts), loaded only by tests, the demo and
// scripts, so production code cannot reach them. Nothing under drivers/ imports electron.
export { DriverError, isDriverError, type ConnectionStatus } from './errors';
export { TypedEmitter, nextEvent } from './events';
export { readFault, readFaultKind, type ReadFault, type ReadFaultKind } from './faults';
export { hex, hex2, hex4 } from './bytes';

// ---- the registry: one entry per protocol, opened from a device's configuration ------------------
export {
  PROTOCOLS,
  listProtocols,
  protocolFor,
  openDevice,
  describeDevice,
  deviceUsbIdentity,
  relayPassage,
  protocolPrints,
  checkSettings,
  type ProtocolName,
  type ProtocolConfig,
  type ProtocolConfigInput,
} from './registry';
export {
  defineProtocol,
  PRINT_KINDS,
  type DeviceClass,
  type PrintKind,
  type ProtocolDefinition,
  type DriverOf,
  type ScannerDriver,
  type IdReaderDriver,
  type CardReaderDriver,
  type DocumentReaderDriver,
  type RelayBoard,
  type PaymentTerminalDriver,
  type PaymentTerminalState,
  type UsbIdentity,
  type SettingsOf,
  type SettingsInputOf,
} from './protocol';
export { systemTransports, openContext, type DeviceTransports, type HidTarget, type OpenContext } from './transports';
export type { ReconnectOptions } from './reconnect';
export { SerialPath, Baud, Host, Port, UsbId, hidTarget, PrinterLinkSettings, printerLink, describePrinterLink, describeSerial, describeUsb } from './settings';

// ---- scanners ------------------------------------------------------------------------------------
export * from './scanners/serial-framing';
export { SerialScanner, openSerialScanner, type SerialScannerOptions, type ScanEvent, type ScannerError, type ScannerErrorCode } from './scanners/serial-scanner';
// Keyboard wedge (pure, also usable by the renderer), HID POS, Wiegand.
export * as wedge from './scanners/wedge';
export { WedgeCapture, remapToUs, type KeyEvent, type KeyboardLayout, type WedgeEvent, type WedgeOptions } from './scanners/wedge';
export * as hidPos from './scanners/hid-pos';
export { HidPosScanner, openHidPosScanner, nodeHidPosOpener, type HidPosScannerOptions, type HidPosScanEvent, type HidPosScannerError, type HidPosScannerErrorCode } from './scanners/hid-pos-scanner';
export * as wiegand from './scanners/wiegand';
export { WiegandReader, openWiegandReader, type WiegandReaderOptions, type WiegandScanEvent, type WiegandReaderError, type WiegandReaderErrorCode } from './scanners/wiegand-reader';

// ---- relays and turnstiles -----------------------------------------------------------------------
export * from './relays/lcus';
export { LcusRelay, openLcusRelay, type LcusRelayOptions, type RelayChange, type RelayError, type RelayErrorCode } from './relays/lcus-relay';
export * as dcttech from './relays/dcttech';
export { HidRelay, openHidRelay, openDcttechUsbRelay, type HidRelayOptions, type HidRelayChange, type HidRelayDriverError, type HidRelayDriverErrorCode, type DcttechUsbOptions } from './relays/dcttech-relay';
export * as modbus from './relays/modbus';
export { ModbusRelay, ModbusRelayError, openModbusRelay, type ModbusRelayOptions, type ModbusRelayChange, type ModbusRelayErrorCode, type ModbusTransportOptions } from './relays/modbus-relay';
export { entryPulse, turnstileSettings, PassageContact } from './relays/relay-settings';
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

// ---- links: serial lines, HID and USB bulk (node-hid / usb imported lazily) ----------------------
export { ReconnectingPort, type ReconnectingPortOptions } from './serial/reconnecting-port';
export {
  listHidDevices,
  openNodeHid,
  matchesHidFilter,
  type HidTransport,
  type HidDeviceInfo,
  type HidDeviceFilter,
  type HidTransportError,
  type HidTransportErrorCode,
  type NodeHidOpenOptions,
} from './hid/transport';
export {
  listUsbDevices,
  openUsbBulk,
  type BulkTransport,
  type UsbDeviceInfo,
  type UsbDeviceFilter,
  type UsbBulkOptions,
  type BulkTransportError,
  type BulkTransportErrorCode,
} from './usb/bulk-transport';
export { ReconnectingBulkLink, type ReconnectingBulkOptions } from './usb/reconnecting-bulk';

// ---- ID readers: resident ID cards (SAM), MRZ documents, and the ID-number privacy rule ---------
export * as sam from './id-readers/sam';
export {
  SamReader,
  openSamReader,
  openSerialSamReader,
  openUsbSamReader,
  SAM_REQUESTS,
  type IdCardRead,
  type SamReaderError,
  type SamReaderErrorCode,
  type SamTransport,
  type SamId,
  type SamReaderOptions,
  type SerialSamReaderOptions,
  type UsbSamReaderOptions,
} from './id-readers/sam-reader';
export * as mrz from './id-readers/mrz';
export { documentNumberTrusted } from './id-readers/mrz';
export { MrzReader, openMrzReader, type MrzReaderOptions, type MrzDocumentEvent, type MrzReaderError, type MrzReaderErrorCode } from './id-readers/mrz-reader';
export type { MrzDocument } from './id-readers/mrz';
export { maskIdNumber } from './id-readers/mask';

// ---- printers: one link interface (raw TCP, serial, USB printer class), ESC/POS, Star, TSPL and ZPL
// labels, Boca FGL tickets, and PVC badges (OS print queue or raw Evolis); one PrinterStatus --------
export type { PrintDocument, PrintBlock, PrinterStatus, TextAlign, BadgeBlock, BadgeBlockAttendee } from './printers/document';
export { PrinterBase, perr, printerRefusal, refuseIfNotReady, READY, type PrinterRefusal, type Printer, type LabelPrinter, type PrinterProtocol, type PrinterEvents, type PrinterError, type PrinterErrorCode } from './printers/printer';
export * as escpos from './printers/escpos';
export { EscPosParser, MAX_RASTER_BYTES, type EscPosCommand } from './printers/escpos-parser';
export { createEscPosPrinter, rasterBands, PaperWidthDots, type EscPosPrinter, type EscPosPrinterOptions } from './printers/escpos-printer';
export { BaseTransport, untilByte, type PrinterTransport, type ReplyFrame, type TransportKind, type LinkError, type LinkErrorCode } from './printers/transports/transport';
export { TcpLink, createTcpTransport } from './printers/tcp-link';
export { SerialTransport, createSerialTransport, type SerialTransportOptions } from './printers/transports/serial';
export { UsbTransport, createUsbTransport, findUsbPrinters, openUsbPrinter, findPrinterInterface, USB_PRINTER_CLASS, type UsbPrinterDevice, type UsbTransportOptions } from './printers/transports/usb';
export { openPrinterLink } from './printers/transports/open';
export { Bitmap, greyToPng, type QrLevel } from './printers/raster';
export { layoutDocument, validateLabel, mmToDots, charWidth, qrModules, DEFAULT_DPI, DEFAULT_TEXT_HEIGHT, MAX_QR_BYTES, type LabelDocument, type LabelItem, type LayoutOptions } from './printers/label';
export { LabelPrinterBase, LabelDpi, labelPrinterProtocol, type LabelPrinterOptions, type LabelStock } from './printers/label-printer';
export * as star from './printers/star';
export { StarPrinter, createStarPrinter, type StarPrinterOptions } from './printers/star-printer';
export * as tspl from './printers/tspl';
export { TsplPrinter, createTsplPrinter } from './printers/tspl-printer';
export * as zpl from './printers/zpl';
export { ZplPrinter, createZplPrinter } from './printers/zpl-printer';
export * as fgl from './printers/fgl';
export { FglPrinter, createFglPrinter, type FglPrinterOptions } from './printers/fgl-printer';
export { renderBadge, defaultBadgeTemplate, ditherToMono, CR80_EVOLIS, CR80_GENERIC, type BadgeData, type BadgeTemplate, type RenderedBadge, type RenderedFace, type CardSize } from './badges/badge';
export { renderBadgeSide, MAX_PHOTO_BYTES, type BadgeAttendee, type BadgeRenderOptions, type RenderedBadgeSide } from './badges/badge-render';
export { isRendered, type BadgePrinter } from './badges/badge-printer';
export * as evolis from './badges/evolis';
export { EvolisPrinter, createEvolisPrinter, evolisProtocol, EVOLIS_BADGE_OUTPUT, type EvolisPrinterOptions } from './badges/evolis-printer';
export { CupsBadgePrinter, createCupsBadgePrinter, cupsProtocol, badgePdf, cupsLpArgs, mediaFor, pageSizeMm, CUPS_BADGE_OUTPUT, type CupsPrinterOptions } from './badges/cups-printer';
export { prepareBadgeBlock, badgeSidesFor, badgeCanvas, rotateQuarter, type BadgeOutput, type PreparedBadge, type BadgeSideImage } from './badges/badge-output';
export { badgeAsPrinted, renderBadgeBlock, printerBadgeOutput, type BadgeImages, type PrinterConfig } from './badges/as-printed';
export { OsQueueBadgePrinter, createOsQueueBadgePrinter, submitToCups, submitToWindowsSpooler, cupsQueueStatus, parseLpstat, windowsPrintCommand, lpArgs, type OsQueueOptions } from './badges/os-queue';

// ---- payment terminals: ZVT card terminals over TCP (port 20007) -----------------------------------
export * as zvt from './payments/zvt';
export { ZvtTerminal, ZvtSettings, type ZvtSettingsInput, type ZvtResult, type ZvtError, type ZvtErrorCode } from './payments/zvt-terminal';
export { ZvtDevice, zvtDeviceSettings, type ZvtDeviceSettings } from './payments/zvt-device';
