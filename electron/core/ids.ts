// Owns id generation: UUIDv7 everywhere a terminal creates a record, so ids sort by creation time.
import { v7 } from 'uuid';
export const newId = (): string => v7();
