-- Where each node was last seen (its InternalIP), so that a console restarted while the cluster's
-- API is down (P1's downtime, P4) still reaches the nodes over SSH.
CREATE TABLE node_address (
    node     VARCHAR(253)             NOT NULL,
    address  VARCHAR(253)             NOT NULL,
    seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT node_address_pk PRIMARY KEY (node)
);
