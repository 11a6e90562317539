// Owns the entry to everything that pretends to be hardware: each protocol's device simulator (over
// a PTY, TCP on 127.0.0.1, or a simulated HID / USB link), the simulated links themselves, the
// simulators' end of a serial line, socat PTY pairs, QR decoding of printed pages and a throw-away
// CUPS scheduler. Loaded only by tests, demo mode and scripts — never by production code, which
// reaches the drivers through ./index.ts (a test walks its imports to keep it so).
export { openDevicePort, writeAll, closeDevicePort } from './serial/device-port';
export { createPtyPair, type PtyPair, type PtyPairOptions } from './testing/pty';
export { decodeQrFromPng } from './testing/qr-decode';
export { startCupsSandbox, cupsUnavailable, type CupsSandbox } from './badges/cups-sandbox';

// ---- simulated links -----------------------------------------------------------------------------
export { createSimulatedHidPair, SimulatedHidDevice, SimulatedHidHost, type SimulatedHidPair, type FeatureReportHandler } from './hid/simulated';
export { createSimulatedBulkPair, SimulatedBulkDevice, type SimulatedBulkPair, type SimulatedBulkPairOptions } from './usb/simulated';
export { SimulatedUsbPrinter, type SimulatedUsbOptions } from './printers/transports/usb-simulated';

// ---- scanners ------------------------------------------------------------------------------------
export { ScannerSimulator, startScannerSimulator, type ScannerSimulatorOptions, type SimTerminator } from './scanners/serial-scanner-simulator';
export { HidPosSimulator, createHidPosSimulator, type HidPosSimulatorOptions } from './scanners/hid-pos-simulator';
export { WiegandSimulator, startWiegandSimulator, type WiegandSimulatorOptions, type SimulatedCard } from './scanners/wiegand-simulator';

// ---- relays --------------------------------------------------------------------------------------
export { LcusSimulator, startLcusSimulator, type LcusSimulatorOptions, type RelaySimChange, type RelaySimPulse, type RejectedFrame } from './relays/lcus-simulator';
export { HidRelaySimulator, createHidRelaySimulator, type HidRelaySimulatorOptions, type HidRelaySimChange, type HidRelaySimPulse, type HidRelaySimRejected } from './relays/dcttech-simulator';
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

// ---- ID readers ----------------------------------------------------------------------------------
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
export { MrzSimulator, startMrzSimulator, type MrzSimulatorOptions } from './id-readers/mrz-simulator';

// ---- printers ------------------------------------------------------------------------------------
export { PrinterSimulator, type DeviceSession, type SimError, type PrinterSimulatorOptions } from './printers/printer-simulator';
export { EscPosSimulator, startEscPosSimulator, startSerialEscPosSimulator, type EscPosSimulatorOptions, type PrintedJob } from './printers/escpos-simulator';
export { StarSimulator, startStarSimulator, STAR_WIDTH_DOTS, type StarJob } from './printers/star-simulator';
export { TsplSimulator, startTsplSimulator, type LabelJob } from './printers/tspl-simulator';
export { ZplSimulator, startZplSimulator, type ZplState } from './printers/zpl-simulator';
export { FglSimulator, startFglSimulator, type FglSimulatorOptions, type TicketJob } from './printers/fgl-simulator';
export { EvolisSimulator, startEvolisSimulator, type CardJob, type EvolisState } from './badges/evolis-simulator';

// ---- payments ------------------------------------------------------------------------------------
export { ZvtSimulator, startZvtSimulator, type ZvtBehaviour, type ZvtSimCommand, type ZvtSimPayment } from './payments/zvt-simulator';
export { QrPaySimulator, startQrPaySimulator, type QrSimCustomer, type QrSimPayment, type QrSimState } from './payments/qr-pay-simulator';
