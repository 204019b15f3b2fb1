-- Secret values at rest are sealed (AES-256-GCM under the site's key, io.lockstep.secrets).
-- plan_version.secret_values holds the values of the procedure's secret parameters as one sealed
-- JSON object ("lss1:<key id>:<base64>"); values_json then keeps those parameters' names with null
-- values, never the values. Rows of older versions (NULL here, secrets in values_json) are sealed
-- at start-up, and so are secret undo records still in clear (undo_record.value_text of rows with
-- secret = TRUE then starts with "lss1:").
ALTER TABLE plan_version ADD COLUMN secret_values TEXT;
