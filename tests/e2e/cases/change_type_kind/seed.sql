INSERT INTO users (id, email, amount) VALUES (1, 'a@x.io', 5), (2, 'b@x.io', 12);
