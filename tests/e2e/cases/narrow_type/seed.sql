INSERT INTO users (id, email, city) VALUES (1, 'a@x.io', 'Oslo'), (2, 'b@x.io', 'Lima');
