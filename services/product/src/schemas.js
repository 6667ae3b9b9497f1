// JSON schemas: request validation and response serialization (only these fields go out).
export const ID_PATTERN = '^[A-Za-z0-9._-]{1,64}$';

export const productSchema = {
  type: 'object',
  required: ['id', 'name', 'description', 'price', 'currency'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: ID_PATTERN },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    price: { type: 'integer', minimum: 0, description: 'integer minor units (cents)' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
};

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: ID_PATTERN } },
};
