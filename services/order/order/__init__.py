"""Shopfront order API: places orders priced by the product API and stores them in MongoDB."""

SERVICE_NAME = "order"
