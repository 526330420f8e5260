SELECT version, published_at, dataset FROM meta;
