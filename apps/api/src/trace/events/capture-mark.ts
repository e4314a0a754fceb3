/** Partners' events are told apart, on pages and in exports, by this mark in their `why`. */
export const CAPTURED_BY = 'EPCIS capture by ';
