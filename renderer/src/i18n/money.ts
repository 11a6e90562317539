// Money on screen comes from the contract, so the core's printed receipts and the UI agree to the cent.
export { currencyDigits, formatMoney, minorToDecimalString, parseMoneyInput, type ParsedAmount } from '../contract';
