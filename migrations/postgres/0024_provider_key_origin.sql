-- A provider key is for one origin (scheme, host and port, and a path
-- prefix where given), not every port of a host (issue 38: a key for a
-- loopback provider on one port was added to a request to another port).
-- Keys stored by host alone meant HTTPS on its default port.
UPDATE provider_keys SET host = 'https://' || host || ':443' WHERE host NOT LIKE '%://%';
