// Owns nothing of its own: the import layer's name for the country list kept in domain/countries.ts.
export { COUNTRY_CODES } from '../../../domain/countries';
