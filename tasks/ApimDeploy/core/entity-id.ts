import { InputError } from '../../common/errors';

/** Input-level check of an API id / product id the way APIM names entities. */
export function checkEntityId(input: string, value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9-_.]{0,79}$/.test(value) || value.includes(';')) {
    throw new InputError(input, `'${value}' is not a valid API Management id (letters, digits, '-', '_', '.'; at most 80 characters; no ';rev=')`);
  }
  return value;
}
