INSERT INTO users (id, email, age) VALUES (1, 'a@x.io', 30), (2, 'b@x.io', NULL);
