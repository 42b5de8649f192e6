import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {};
