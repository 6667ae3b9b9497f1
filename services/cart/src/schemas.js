// JSON schemas: request validation and response serialization (only these fields go out).
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const PRODUCT_ID_PATTERN = '^[A-Za-z0-9._-]{1,64}$';
export const MAX_QUANTITY = 99;
export const MAX_LINES = 100;

export const cartSchema = {
  type: 'object',
  required: ['id', 'items'],
  properties: {
    id: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['productId', 'quantity'],
        properties: { productId: { type: 'string' }, quantity: { type: 'integer' } },
      },
    },
  },
};

export const cartParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: UUID_PATTERN, description: 'cart id (UUID)' } },
};

export const itemParams = {
  type: 'object',
  required: ['id', 'productId'],
  properties: {
    id: cartParams.properties.id,
    productId: { type: 'string', pattern: PRODUCT_ID_PATTERN },
  },
};

export const quantityBody = {
  type: 'object',
  required: ['quantity'],
  additionalProperties: false,
  properties: { quantity: { type: 'integer', minimum: 1, maximum: MAX_QUANTITY } },
};
