INSERT INTO users (id, email) VALUES (1, 'a@x.io'), (2, 'b@x.io');
INSERT INTO posts VALUES (10, 1, 2), (11, 2, NULL), (12, NULL, 1);
