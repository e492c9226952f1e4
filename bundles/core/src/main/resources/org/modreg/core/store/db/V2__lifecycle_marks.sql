-- modreg schema, version 2: lifecycle marks (deprecated, archived) of modules, by module id.
CREATE TABLE IF NOT EXISTS module_mark (
    module_id    VARCHAR(255)  NOT NULL PRIMARY KEY,
    mark         VARCHAR(16)   NOT NULL,
    reason       VARCHAR(4000),
    replacement  VARCHAR(255),
    at_millis    BIGINT        NOT NULL,
    origin       VARCHAR(255)  NOT NULL
);
