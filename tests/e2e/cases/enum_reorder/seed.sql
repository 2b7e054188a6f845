INSERT INTO users (id, email, status) VALUES (1, 'a@x.io', 'active'), (2, 'b@x.io', 'banned'), (3, 'c@x.io', 'deleted');
