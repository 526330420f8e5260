SELECT code, nature, multi_response FROM measure ORDER BY code;
