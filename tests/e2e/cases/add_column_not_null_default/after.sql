SELECT score FROM users ORDER BY id;
