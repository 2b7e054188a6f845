/* not a migration */
int main(void) { return revision == 1; }
