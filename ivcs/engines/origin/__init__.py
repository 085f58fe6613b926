"""Rules of origin: typed grammar of product-specific rules and the parser from the UK Trade Tariff rule texts."""
